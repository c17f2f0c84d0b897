// The hub's backend over HTTP, on the file server's port, for people and scripts
// (tools/push-ota.js): order an update of a device's MCU firmware or of the module's own
// bundle, and read what the device reported. Basic authentication as the hub's admin user.
//   POST /admin/firmware?device=<client id>&version=<v>   body: the MCU's image
//   POST /admin/module?device=<client id>&version=<v>     body: the module's bundle
//   GET  /admin/reports?device=<client id>
//   POST /admin/bind-token                                     a token for the app to bind a device
//   GET  /admin/binding?device=<client id>                   {bound}
const MAX_BODY = 2 * 1024 * 1024;

export function adminHandler(hub) {
  return (req, res) => {
    const url = new URL(req.url, 'http://hub');
    const send = (status, data) => {
      const body = JSON.stringify(data);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const expected = 'Basic ' + Buffer.from(`admin:${hub.adminPassword}`).toString('base64');
    if (req.headers.authorization !== expected) return send(401, { error: 'admin credentials required' });
    // A token is for whichever device the app then provisions (it may not exist before it registers).
    if (req.method === 'POST' && url.pathname === '/admin/bind-token') return send(200, { token: hub.newBindToken() });
    const device = url.searchParams.get('device') || '';
    if (!hub.registry.findByClientId(device)) return send(404, { error: `no device ${device}` });
    if (req.method === 'GET' && url.pathname === '/admin/binding') return send(200, { bound: hub.bindings.has(device) });
    if (req.method === 'GET' && url.pathname === '/admin/reports') {
      return send(200, { ota: hub.otaReports.get(device) || [], service: hub.serviceReports.get(device) || [] });
    }
    const push = { '/admin/firmware': 'pushFirmware', '/admin/module': 'pushModule' }[url.pathname];
    if (req.method !== 'POST' || !push) return send(404, { error: 'unknown admin request' });
    const version = url.searchParams.get('version') || '';
    if (!/^[\w.-]{1,32}$/.test(version)) return send(400, { error: 'version: 1-32 letters, digits, dots, dashes' });
    const parts = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy();
      else parts.push(chunk);
    });
    req.on('end', async () => {
      if (!size) return send(400, { error: 'the body is the image' });
      try {
        send(200, await hub[push](device, Buffer.concat(parts), { version }));
      } catch (err) {
        send(500, { error: err.message });
      }
    });
  };
}
