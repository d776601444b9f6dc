// multipart/form-data bodies of `update` and `diff`: one part per FSL file, named by its path
// relative to the schema directory (the CLI sends `name="dir/x.fsl"; filename="blob"`).
import { badRequest } from './errors';

export interface SubmittedFile { readonly filename: string; readonly content: string }

/** Core `SchemaRequest.MaxFiles`: main.fsl plus 1023 others. */
const MAX_FILES = 1024;
const FILENAME_RE = /^(?:[A-Za-z0-9_\-. ]+\/)*[A-Za-z0-9_\-. ]+\.fsl$/;

function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function partName(headers: string): string | undefined {
  const disposition = headers.split(/\r\n/).find((h) => /^content-disposition:/i.test(h));
  const m = disposition && /;\s*name="((?:[^"\\]|\\.)*)"/i.exec(disposition);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}

function checkFilename(name: string): void {
  if (!FILENAME_RE.test(name) || name.split('/').some((s) => s === '.' || s === '..')) {
    throw badRequest(`Invalid filename \`${name}\``);
  }
}

/** The files of a multipart request; an empty body is no files. */
export function parseMultipart(contentType: string | undefined, body: Buffer): SubmittedFile[] {
  if (body.length === 0) return [];
  const boundary = boundaryOf(contentType);
  if (!boundary) throw badRequest('Request is not a valid multipart request');
  const text = body.toString('utf8');
  const delimiter = `--${boundary}`;
  const chunks = text.split(delimiter);
  if (chunks.length < 2 || !chunks[chunks.length - 1].startsWith('--')) throw badRequest('Invalid request');
  const files: SubmittedFile[] = [];
  for (const chunk of chunks.slice(1, -1)) {
    const part = chunk.startsWith('\r\n') ? chunk.slice(2) : chunk;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw badRequest('Invalid request');
    const name = partName(part.slice(0, split));
    if (name === undefined) throw badRequest('Invalid request');
    checkFilename(name);
    const content = part.slice(split + 4).replace(/\r\n$/, '');
    files.push({ filename: name, content });
  }
  const hasMain = files.some((f) => f.filename === 'main.fsl');
  if (files.length > (hasMain ? MAX_FILES : MAX_FILES - 1)) throw badRequest('Too many files');
  return files;
}
