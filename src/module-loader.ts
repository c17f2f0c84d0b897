// On-demand modules (modules/ in the source tree): parts of the firmware package that stay in
// flash until a command or an event needs them. Loading one evaluates its code straight from
// the package file in Storage (Espruino keeps function bodies in flash), so it costs RAM only
// for its functions, scopes and data, and only while something still refers to it. A module
// that keeps state between events (the MQTT link, a running download) is held by name until
// it lets go; everything else is loaded per use and dropped after.
//
// The package header (tools/firmware-package.js) names each part's offset, length and the
// helper parts it requires; those are put in Espruino's module cache (as "tc-<part>": no module
// of Espruino's own has such a name) just long enough for the module to take them.

/** Part names of the modules (the file names in modules/; a const enum costs no RAM). */
export const enum Mod {
  Start = 'start', Link = 'link', Connect = 'connect', Ota = 'ota', Download = 'download', Register = 'register', Provision = 'provision', Tls = 'tlspsk', Debug = 'debugcon',
  Basic = 'cmdbasic', Device = 'cmddevice', Mqtt = 'cmdmqtt', OtaCmd = 'cmdota', Wifi = 'cmdwifi',
}

import { find } from './text';

const held: { [name: string]: any } = {};

/** Caches part `name` (and the parts it requires, first) under its name; `added` collects what was cached. */
function cachePart(name: string, added: string[]): void {
  const storage = require('Storage');
  const image = (global as any).FWIMAGE as string;
  const head = storage.read(image, 0, 1024)!;
  const at = find(head, ' ' + name + ':');
  if (at < 0) throw new Error('no part ' + name);
  let end = at + 1;
  while (head.charAt(end) !== ' ' && head.charAt(end) !== '\n') end++;
  const field = head.substring(at + 1, end).split(':');
  const needs = field[3] ? field[3].split('+') : [];
  for (let i = 0; i < needs.length; i++) {
    if (added.indexOf(needs[i]) < 0) cachePart(needs[i], added);
  }
  Modules.addCached('tc-' + name, storage.read(image, Number(field[1]), Number(field[2]))!);
  added.push(name);
}

/** The module `name`: the held instance, or a fresh one (kept only by whoever refers to it). */
export function loadModule(name: Mod): any {
  if (held[name]) return held[name];
  const added: string[] = [];
  try {
    cachePart(name, added);
    return require('tc-' + name);
  } finally {
    for (let i = 0; i < added.length; i++) Modules.removeCached('tc-' + added[i]);
  }
}

/** Keeps `instance` as module `name` until it is released (null). */
export function holdModule(name: Mod, instance: any): void {
  if (instance) held[name] = instance;
  else delete held[name];
}

/** The held instance of module `name`, or undefined: for events that matter only while it runs. */
export function heldModule(name: Mod): any {
  return held[name];
}
