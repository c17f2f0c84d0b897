// Dynamic registration (AT+TCDEVREG, and provisioning with product info only).
export { registerDevice } from '../src/cloud/register';
