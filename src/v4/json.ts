// Plain JSON as parsed from a request body: v4 expressions are JSON trees.
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const isJsonObject = (j: Json): j is { [k: string]: Json } =>
  j !== null && typeof j === 'object' && !Array.isArray(j);
