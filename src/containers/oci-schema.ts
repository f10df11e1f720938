// JSON Schemas for the OCI image layout's documents (image-spec v1.1: manifest, index, config, oci-layout), checked with ajv.
//
// Written from the image spec's field tables and its schema/ directory: required fields, the descriptor's
// mediaType/digest/size patterns, schemaVersion 2, rootfs.type "layers". `ociSchemaProblems` says what
// is wrong in one line per problem, so an export test can show why a document was rejected.
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const mediaType = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$" };
const digest = { type: "string", pattern: "^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$" };
const stringMap = { type: "object", additionalProperties: { type: "string" } };
const objectMap = { type: "object", additionalProperties: { type: "object" } };
const stringList = { type: "array", items: { type: "string" } };
const descriptor = {
  type: "object",
  required: ["mediaType", "digest", "size"],
  properties: {
    mediaType,
    digest,
    size: { type: "integer", minimum: 0 },
    urls: { type: "array", items: { type: "string", format: "uri" } },
    annotations: stringMap,
    platform: { type: "object", required: ["architecture", "os"], properties: { architecture: { type: "string" }, os: { type: "string" } } },
  },
};

export const OCI_SCHEMAS = {
  layout: {
    type: "object",
    required: ["imageLayoutVersion"],
    properties: { imageLayoutVersion: { type: "string", enum: ["1.0.0"] } },
  },
  index: {
    type: "object",
    required: ["schemaVersion", "manifests"],
    properties: {
      schemaVersion: { type: "integer", minimum: 2, maximum: 2 },
      mediaType: { const: "application/vnd.oci.image.index.v1+json" },
      manifests: { type: "array", items: descriptor },
      annotations: stringMap,
    },
  },
  manifest: {
    type: "object",
    required: ["schemaVersion", "config", "layers"],
    properties: {
      schemaVersion: { type: "integer", minimum: 2, maximum: 2 },
      mediaType: { const: "application/vnd.oci.image.manifest.v1+json" },
      config: descriptor,
      layers: { type: "array", minItems: 1, items: descriptor },
      annotations: stringMap,
    },
  },
  config: {
    type: "object",
    required: ["architecture", "os", "rootfs"],
    properties: {
      created: { type: "string", format: "date-time" },
      author: { type: "string" },
      architecture: { type: "string" },
      os: { type: "string" },
      config: {
        type: "object",
        properties: {
          User: { type: "string" },
          ExposedPorts: objectMap,
          Env: stringList,
          Entrypoint: { oneOf: [stringList, { type: "null" }] },
          Cmd: { oneOf: [stringList, { type: "null" }] },
          Volumes: { oneOf: [objectMap, { type: "null" }] },
          WorkingDir: { type: "string" },
          Labels: { oneOf: [stringMap, { type: "null" }] },
          StopSignal: { type: "string" },
        },
      },
      rootfs: {
        type: "object",
        required: ["diff_ids", "type"],
        properties: { diff_ids: { type: "array", items: digest }, type: { type: "string", enum: ["layers"] } },
      },
      history: {
        type: "array",
        items: {
          type: "object",
          properties: {
            created: { type: "string", format: "date-time" },
            author: { type: "string" },
            created_by: { type: "string" },
            comment: { type: "string" },
            empty_layer: { type: "boolean" },
          },
        },
      },
    },
  },
} as const;

export type OciDocument = keyof typeof OCI_SCHEMAS;

/** Problems of a document against its OCI schema, one sentence each (empty when valid). */
export function ociSchemaProblems(kind: OciDocument, value: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(OCI_SCHEMAS[kind]);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${kind}${e.instancePath || ""}: ${e.message ?? e.keyword}`);
}
