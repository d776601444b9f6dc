// The `Query` module: facts about the environment the query runs in. This server does not
// typecheck by default and has no protected databases.
import { FALSE } from '../values/construct';
import { method, sig } from './native-args';
import { defineMethods, defineModule } from './registry';

defineModule('Query');
defineMethods('module:Query', {
  isEnvTypechecked: method(sig([], () => FALSE)),
  isEnvProtected: method(sig([], () => FALSE)),
});
