// Bytes: base64 in and out, display, equality and storage round-trips (core FQL2BytesSpec.scala;
// Bytes.scala decodes with java.util.Base64's basic decoder; FQL2ToStringSpec.scala debug forms).
// UUID values cannot be written in FQL v10 (no constructor), so they have no cases here.
import type { ConformanceArea } from '../case';
import { from, uniqueNames } from '../stdlib-cases';

const b = from('FQL2BytesSpec.scala');
const java = from('Bytes.scala (java.util.Base64 basic decoder)');
const dbg = from('FQL2ToStringSpec.scala (debug form of a value)');
const B = (s: string): unknown => ({ '@bytes': s });
/** Invalid base64 is an invalid argument (core's exact wording is not in its tests). */
const bad = (encoded: string) => java.err(`Bytes.fromBase64('${encoded}')`, 'invalid_argument', undefined);

export const area: ConformanceArea = {
  area: 'bytes-uuid',
  setup: ['Collection.create({ name: "Blob" })'],
  cases: uniqueNames([
    b.tagged("Bytes.fromBase64('AQID')", B('AQID')), b.tagged("Bytes('AQID')", B('AQID')),
    b.ok("Bytes.fromBase64('AQID').toBase64()", 'AQID'), b.ok("Bytes.fromBase64('AQID').toString()", 'AQID'),
    b.ok("Bytes('AQID')", 'AQID'),
    // padding and the empty value
    java.tagged("Bytes('')", B('')), java.ok("Bytes('').toBase64()", ''),
    java.tagged("Bytes('AQ==')", B('AQ==')), java.tagged("Bytes('AQI=')", B('AQI=')),
    java.ok("Bytes('AQ')", 'AQ=='), java.ok("Bytes('AQI')", 'AQI='),
    java.ok("Bytes('/+/+')", '/+/+'), java.ok("Bytes('aGVsbG8gd29ybGQ=').toBase64()", 'aGVsbG8gd29ybGQ='),
    bad('A'), bad('AQID='), bad('A==='), bad('-_-_'), bad('AQ=D'), bad('!!!!'),
    // types, equality, display
    java.ok("Bytes('AQID') isa Bytes", true), java.ok("'AQID' isa Bytes", false),
    java.ok("Bytes('AQID') == Bytes('AQID')", true), java.ok("Bytes('AQID') == Bytes('AQIE')", false),
    java.ok("Bytes('AQID') != 'AQID'", true), java.ok("Bytes('AQ') == Bytes('AQ==')", true),
    dbg.ok("[Bytes('AQID')].toString()", '[Bytes("AQID")]'), dbg.ok("Object.toString({ b: Bytes('AQID') })", '{ b: Bytes("AQID") }'),
    dbg.ok("'x' + Bytes('AQID')", 'xAQID'),
    // stored and read back
    b.tagged("Blob.create({ id: '1', b: Bytes('AQID') }).b", B('AQID')),
    b.tagged("Blob.byId('1')!.b", B('AQID')), b.ok("Blob.byId('1')!.b == Bytes('AQID')", true),
    b.ok("Blob.byId('1')!.b.toBase64()", 'AQID'),
  ]),
};
