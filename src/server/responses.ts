// Response builders shared by the endpoints: JSON bodies, v10 protocol errors
// (`{"error":{"code","message"}}`) and legacy v4 errors (`{"errors":[{code, description}]}`).
import { JSON_CONTENT_TYPE, type ServerResponse } from './http-types';

export function jsonResponse(status: number, body: string | Buffer, headers?: Record<string, string>): ServerResponse {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers }, body };
}

/**
 * A v10 protocol error (core `FQL2Response.ProtocolError`): only `error`, plus `query_tags`
 * when the request's tags were accepted. 401s carry `WWW-Authenticate: Bearer`.
 */
export function protocolError(status: number, code: string, message: string, queryTags?: string): ServerResponse {
  let body = `{"error":{"code":${JSON.stringify(code)},"message":${JSON.stringify(message)}}`;
  if (queryTags !== undefined) body += `,"query_tags":${JSON.stringify(queryTags)}`;
  body += '}';
  return { ...jsonResponse(status, body, status === 401 ? { 'www-authenticate': 'Bearer' } : undefined), report: { errorCode: code } };
}

export function v4Error(status: number, code: string, description: string): ServerResponse {
  return { ...jsonResponse(status, JSON.stringify({ errors: [{ code, description }] })), report: { errorCode: code } };
}
