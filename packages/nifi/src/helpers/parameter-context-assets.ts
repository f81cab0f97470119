// Assets of a parameter context (NiFi 2): files uploaded into a context — JDBC drivers, certificates, scripts — that
// its parameters reference (ParameterValue.assets) and that processors then see as absolute file paths on every node.
import { HttpError, InvalidOptionsError, InvalidResponseError } from '@dataplat/core';
import { acknowledgement, callOptions, type AcknowledgeOption, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';

/** One asset as NiFi reports it. */
export interface ParameterContextAsset {
  /** NiFi's id: a name-based UUID of `<contextId>/<name>`, so re-uploading a name keeps the id. */
  id: string;
  name: string;
  /** SHA-256 of the content, lowercase hex, as NiFi computes it; empty when `missingContent`. */
  digest: string;
  /** True when NiFi knows the asset (e.g. from an imported flow) but holds no content for it. */
  missingContent: boolean;
}

export interface AssetUpload {
  /** The file name NiFi stores it under (and processors see at the end of the path); see `assetNameProblem`. */
  name: string;
  /** The bytes, sent as they are (not copied). */
  content: Uint8Array;
}

/** NiFi reads at most 1 GiB per asset (ParameterContextResource's MAX_ASSET_SIZE_BYTES). */
export const maxAssetBytes = 1024 ** 3;

// Characters NiFi 2.3.0 refused in a Filename header when tried one by one (400 "Filename header contains an invalid
// file name"); whitespace is refused too. Names of 256+ characters, "." and ".." fail inside NiFi with a bare 500.
const refusedCharacters = /[/\\:*?"<>|]/;

/**
 * Why NiFi would refuse `name` as an asset file name, or undefined when it takes it: a single file name of printable
 * ASCII (HTTP headers carry Latin-1, so other characters arrive garbled), without path separators or `: * ? " < > |`,
 * not "." or "..", at most 255 characters. Checked by `upload` before sending; exported for tools that check earlier.
 */
export function assetNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name === '.' || name === '..') return `"${name}" names a directory, not a file`;
  if (name.length > 255) return `it is ${name.length} characters long (at most 255)`;
  const separator = refusedCharacters.exec(name);
  if (separator) return `it contains "${separator[0]}" (path separators and : * ? " < > | are refused)`;
  const unprintable = /[^\x21-\x7e]/.exec(name);
  if (unprintable) {
    const character = unprintable[0];
    const shown = /\s/.test(character) ? 'whitespace' : `"${character}" (U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
    return `it contains ${shown}; NiFi takes printable ASCII only`;
  }
  return undefined;
}

function toAsset(entity: NifiSchemas['AssetEntity'] | undefined, what: string): ParameterContextAsset {
  const asset = entity?.asset;
  if (!asset?.id || asset.name === undefined) {
    throw new InvalidResponseError({
      message: `NiFi's answer to ${what} names no asset (id and name missing).`,
      hint: 'Check that baseUrl points at the NiFi 2.x API itself and not at a proxy or an older NiFi without assets.',
    });
  }
  return { id: asset.id, name: asset.name, digest: asset.digest ?? '', missingContent: asset.missingContent === true };
}

/** The context's assets, referenced or not. */
export async function listParameterContextAssets(context: NifiContext, contextId: string, options?: CallOptions): Promise<ParameterContextAsset[]> {
  const answer = await context.api.get('/parameter-contexts/{contextId}/assets', { ...callOptions(options), path: { contextId } });
  return (answer.assets ?? []).map((entity) => toAsset(entity, `listing the assets of parameter context ${contextId}`));
}

/**
 * Uploads `content` as the asset `name` of the context. An existing asset of that name is replaced (same id, new
 * digest) and NiFi restarts the components whose parameters reference it. On a cluster NiFi copies it to every node
 * and refuses (NIFI_NODE_DISCONNECTED) while any node is not connected — there is no acknowledging that away.
 * A large file may need a longer `timeoutMs` than the client's default (30 s, per attempt).
 */
export async function uploadParameterContextAsset(context: NifiContext, contextId: string, upload: AssetUpload, options?: CallOptions): Promise<ParameterContextAsset> {
  const problem = assetNameProblem(upload.name);
  if (problem) {
    throw new InvalidOptionsError({
      message: `Asset name "${upload.name}" (field "name") is not a file name NiFi accepts: ${problem}.`,
      hint: 'Use a plain file name such as "postgresql-42.7.4.jar"; nothing was sent.',
    });
  }
  if (!(upload.content instanceof Uint8Array)) {
    throw new InvalidOptionsError({
      message: `Asset "${upload.name}": field "content" must be a Uint8Array (a Buffer is one), not ${typeof upload.content}.`,
      hint: 'Read the file with fs.readFile and pass the Buffer; nothing was sent.',
    });
  }
  if (upload.content.byteLength > maxAssetBytes) {
    throw new InvalidOptionsError({
      message: `Asset "${upload.name}" (field "content") is ${upload.content.byteLength} bytes; NiFi takes at most ${maxAssetBytes} (1 GiB) per asset.`,
      hint: 'Split it or provide the file to NiFi another way (a path on every node); nothing was sent.',
    });
  }
  const created = await context.api.post('/parameter-contexts/{contextId}/assets', {
    ...callOptions(options),
    path: { contextId },
    headers: { Filename: upload.name },
    // The typed API sends a Uint8Array body as application/octet-stream, handing this same buffer to undici (no copy).
    body: upload.content,
    // Declared repeatable, as core's model allows for a POST whose repeat cannot change the outcome: an upload of the
    // same name replaces the asset with the same bytes, so a retry after a lost answer or a 502/503/504 ends where one
    // success would (like a PUT: a concurrent upload of that name in between is overwritten, last writer wins). A
    // repeat costs sending the body again and possibly one more restart of the components referencing the asset.
    idempotent: true,
  });
  return toAsset(created, `uploading asset "${upload.name}" to parameter context ${contextId}`);
}

/** The asset's content, byte for byte. */
export async function getParameterContextAssetContent(context: NifiContext, contextId: string, assetId: string, options?: CallOptions): Promise<Uint8Array> {
  // Through the transport with responseType 'bytes' (as the queue's content): bytes whatever Content-Type NiFi labels it with.
  const answer = await context.transport.request<Uint8Array>({
    method: 'GET',
    path: `/parameter-contexts/${encodeURIComponent(contextId)}/assets/${encodeURIComponent(assetId)}`,
    responseType: 'bytes',
    ...callOptions(options),
  });
  return answer.body;
}

/**
 * Deletes the asset. NiFi refuses while a parameter references it: NIFI_ASSET_IN_USE (409), whose `detail.parameters`
 * names them — unbind them first (`parameterContexts.update(contextId, { set: [{ name, value: null }] })`).
 */
export async function deleteParameterContextAsset(context: NifiContext, contextId: string, assetId: string, options?: CallOptions & AcknowledgeOption): Promise<void> {
  const call = callOptions(options);
  const existed = (await listParameterContextAssets(context, contextId, call)).some((asset) => asset.id === assetId);
  try {
    await context.api.delete('/parameter-contexts/{contextId}/assets/{assetId}', { ...call, path: { contextId, assetId }, query: { ...acknowledgement(context, options) } });
  } catch (error) {
    // The asset was listed just above: a 404 here is a repeated DELETE whose first attempt NiFi carried out (its
    // answer was lost), so the asset is gone, as asked.
    if (!(existed && HttpError.isInstance(error) && error.status === 404)) throw error;
  }
}
