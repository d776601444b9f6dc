// Loads every model-backed part of the standard library so its registrations happen.
import './collections';
import './documents';
import { defineEventSourceMethods } from './event-sources';

defineEventSourceMethods();
