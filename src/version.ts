// The firmware's versions, as build-time literals (rollup's replace): a module-level string
// would cost JsVars for as long as the firmware runs, a literal at each use costs none.
//   __AT_VERSION__    what AT+GMR, AT+TCVER and AT+TCMODULE print: QCloud_AT_ESP8266_v2.0.0-ts<package version>
//   __FW_VERSION__    the package version: the bundle's version in the resource protocol
//   __COMPILE_TIME__  when the bundle was built
export const enum Sdk { Version = '3.2.0' }
