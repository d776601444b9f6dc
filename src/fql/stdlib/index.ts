// Installs the standard library: each module under src/fql/stdlib/ exports the function that
// registers its methods, fields, modules and globals (registry.ts, ../eval/globals.ts); this is the
// one place that calls them, from the runtime's composition root (src/exec/wiring.ts) and from
// tests that evaluate FQL without it.
//
// Why this order (it is the order the modules registered themselves in when loaded by their
// imports; companions.ts came first, loaded early for its `castId`): a member registered twice
// keeps its later definition, and `methodNames` lists the members under one key in the order
// registered. Here global.ts's `toString` comes before the other members of arrays and sets; the
// model's standard library (src/model/stdlib/index.ts) adds to `set` and `eventsource` after.
import { wireGlobals } from './global';
import { wireArray } from './array';
import { wireObject } from './object';
import { wireSet } from './set';
import { wireString } from './string';
import { wireNumber } from './number';
import { wireMath } from './math';
import { wireTime } from './time';
import { wireDate } from './date';
import { wireBytes } from './bytes';
import { wireUuid } from './uuid';
import { wireBoolean } from './boolean';
import { wireCompanions } from './companions';

let wired = false;

/** Registers the whole standard library, once per process: later calls do nothing. */
export function wireStdlib(): void {
  if (wired) return;
  wired = true;

  wireCompanions();
  wireGlobals();
  wireArray();
  wireObject();
  wireSet();
  wireString();
  wireNumber();
  wireMath();
  wireTime();
  wireDate();
  wireBytes();
  wireUuid();
  wireBoolean();
}
