// Failures of the schema API and how core renders them (`SchemaResponse.ErrorResponse`): a JSON
// body `{"error":{"message":"…"}}` without a code, with the HTTP status of the failure.
import { jsonResponse } from '../server/responses';
import type { ServerResponse } from '../server/http-types';

export class SchemaApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export const badRequest = (message: string): SchemaApiError => new SchemaApiError(400, message);
export const UNAUTHORIZED = (): SchemaApiError => new SchemaApiError(401, 'Access token required');
export const FORBIDDEN = (): SchemaApiError => new SchemaApiError(403, 'Access denied');
export const NOT_FOUND = (): SchemaApiError => new SchemaApiError(404, 'Not found');
export const METHOD_NOT_ALLOWED = (): SchemaApiError => new SchemaApiError(405, 'Method not allowed');
export const STALE_VERSION = (): SchemaApiError => new SchemaApiError(409, 'Stale schema version provided');

export function errorResponse(e: SchemaApiError): ServerResponse {
  const body = JSON.stringify({ error: { message: e.message } });
  return jsonResponse(e.status, body, e.status === 401 ? { 'www-authenticate': 'Bearer' } : undefined);
}
