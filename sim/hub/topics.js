// The topics a device may use on Tencent's hub by default: its own <pid>/<dev>/... space
// (control is subscribe-only, event publish-only) and the system topics in their pairs.
const PUBLISH_SYSTEM = ['$sys/operation/', '$shadow/operation/', '$ota/report/'];
const SUBSCRIBE_SYSTEM = ['$sys/operation/result/', '$shadow/operation/result/', '$ota/update/'];
const THING_KINDS = ['property', 'event', 'action', 'service', 'raw'];

function ownSpace(topic, pid, dev) {
  const prefix = `${pid}/${dev}/`;
  return topic.startsWith(prefix) && topic.length > prefix.length ? topic.slice(prefix.length) : null;
}

function systemTopic(topic, pid, dev, prefixes, direction) {
  const tail = `/${pid}/${dev}`;
  if (prefixes.some((p) => topic === p + `${pid}/${dev}`)) return true;
  return THING_KINDS.some((kind) => topic === `$thing/${direction}/${kind}${tail}`);
}

export function mayPublish(topic, pid, dev) {
  if (/[+#]/.test(topic)) return false;
  const own = ownSpace(topic, pid, dev);
  if (own !== null) return own !== 'control';
  return systemTopic(topic, pid, dev, PUBLISH_SYSTEM, 'up');
}

export function maySubscribe(topic, pid, dev) {
  const own = ownSpace(topic, pid, dev);
  if (own !== null) return own !== 'event';
  if (/[+#]/.test(topic)) return false;
  return systemTopic(topic, pid, dev, SUBSCRIBE_SYSTEM, 'down');
}
