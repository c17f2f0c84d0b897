// TLS-PSK (tls_mode 1): loaded for each connection of the MQTT link in mode 1; lives as long as
// the link holds its socket.
export { tlsConnect } from '../src/net/tls-psk';
