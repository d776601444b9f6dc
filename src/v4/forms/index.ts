// Loads every family of v4 forms (each registers itself with the evaluator).
import './basic';
import './refs';
import './documents';
import './identity';
import './time';
import './strings';
import './math';
import './types';
import './collections';
import './sets';
import './functions';
import './access-providers';
import './history';
