// The MQTT link (client and session): loaded by AT+TCMQTTCONN or provisioning, held while its
// session lives (connected or reconnecting), dropped when it ends.
export { session, sessionConnect, sessionDisconnect, sessionSubscription } from '../src/cloud/session';
export { mqttPublish, mqttSubscription, mqttBreak, publishLater } from '../src/net/mqtt-client';
