// What the settings commands share: value checks and the set form that stores one record.
import { parseArgs, Arg } from '../at/args';
import { cme, okThen, settingsRefusal, Cme } from './reply';
import { store, SettingKey } from '../store/settings';

/** A string of at most `maxLength` bytes matching `pattern` (Espruino's RegExp has no {n,m}). */
export function matches(value: Arg, pattern: RegExp, maxLength: number): boolean {
  return typeof value === 'string' && value.length <= maxLength && pattern.test(value);
}

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
