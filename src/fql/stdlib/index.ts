// Loads every standard-library module so that their registrations (methods, fields, modules,
// globals) happen. Import this once before evaluating queries.
import './global';
import './array';
import './object';
import './set';
import './string';
import './number';
import './math';
import './time';
import './date';
import './bytes';
import './uuid';
import './boolean';
import './companions';
