export const FW_VERSION = 'QCloud_AT_ESP8266_v2.0.0-ts' + __FW_VERSION__;
export const SDK_VERSION = '3.2.0';
export const COMPILE_TIME = __COMPILE_TIME__;
