export const FW_VERSION = 'QCloud_AT_ESP8266_v2.0.0-ts' + __FW_VERSION__;
export const SDK_VERSION = '3.2.0';
export const COMPILE_TIME = __COMPILE_TIME__;
/** The version the module reports for its own bundle in the resource protocol. */
export const BUNDLE_VERSION = __FW_VERSION__;
