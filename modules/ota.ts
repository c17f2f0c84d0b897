// OTA orders: AT+TCOTASET, and the hub's update orders for the MCU's firmware and the module's
// own. Loaded for one command or message; a download it starts is the download module's.
export { updatesEnable, otaDisable, otaMessage, serviceMessage } from '../src/cloud/ota';
