// What the settings commands share: the set form that stores one record.
import { parseArgs, Arg } from '../at/args';
import { cme, okThen, settingsRefusal, Cme } from './reply';
import { SettingKey } from '../store/settings';
import { store } from '../store/persist';

/**
 * The set form every settings command shares: parameters of `spec`, refused while MQTT or
 * OTA runs, made into the value to store by `check` (undefined: 204), then OK and +NAME:OK
 * (or FAIL,207 when flash refused it).
 */
export function setting(name: string, params: string, spec: string, check: (a: Arg[]) => any, file: string, key: SettingKey): boolean {
  const a = parseArgs(params, spec);
  if (!a) return false;
  const refusal = settingsRefusal();
  if (refusal) return cme(refusal);
  const value = check(a);
  if (value === undefined) return cme(Cme.ParamInvalid);
  return okThen(name.substr(3), function () {
    return store(file, key, value) ? 0 : Cme.FlashError;
  });
}
