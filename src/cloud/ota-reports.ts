// What OTA tells the hub (protocol page, "OTA"): progress and versions of the MCU's firmware on
// $ota/report, of the module's own on $thing/up/service. QoS 0 on the link if there is one.
// Every string put into JSON here goes through JSON.stringify: a version is hub- or MCU-given.
import { settings } from '../store/settings';
import { heldModule, Mod } from '../module-loader';

/** `prefix` followed by this device's <pid>/<dev>. */
export function deviceTopic(prefix: string): string {
  return prefix + settings.device!.pid + '/' + settings.device!.dev;
}

/**
 * A report: `resource` for the module's own firmware (report_progress of the resource on
 * $thing/up/service), else the MCU's (on $ota/report: report_progress, or report_version when
 * `state` is empty). `reason` for a failure the hub may want to read.
 */
export function report(resource: boolean, state: string, percent: number, code: number, version: string, reason?: string): void {
  const link = heldModule(Mod.Link);
  if (!link) return;
  const progress = '"progress":{' + (resource ? '"resource_name":"ESP8266_QCLOUD_AT_JS",' : '') + '"state":"' + state + '","percent":"' + percent
    + '","result_code":"' + code + '","result_msg":' + JSON.stringify(reason || '') + '},"version":' + JSON.stringify(version) + '}}';
  link.mqttPublish(deviceTopic(resource ? '$thing/up/service/' : '$ota/report/'), resource ? '{"method":"report_progress","report":{' + progress
    : state ? '{"type":"report_progress","report":{' + progress : '{"type":"report_version","report":{"version":' + JSON.stringify(version) + '}}', 0, function () {});
}
