// softAP provisioning with device binding (AT+TCSAP): alive while provisioning runs.
export { startSoftAp } from '../src/cloud/provision';
