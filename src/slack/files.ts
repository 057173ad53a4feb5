import type { WebClient } from '@slack/web-api';

export interface PngUpload {
  filename: string;
  png: Buffer;
  title: string;
  altText: string;
  /** Shared in this conversation (and thread); left unshared (the bot's own, for App Home) without one. */
  channel?: string;
  threadTs?: string;
}

/**
 * Uploads a PNG as Slack asks now (files.upload is retired): an upload URL, the bytes POSTed to
 * it, then completion, which shares it where asked. Returns the file's id.
 */
export async function uploadPng(client: WebClient, upload: PngUpload): Promise<string> {
  const url = await client.files.getUploadURLExternal({ filename: upload.filename, length: upload.png.length, alt_txt: upload.altText } as Parameters<WebClient['files']['getUploadURLExternal']>[0]);
  if (!url.upload_url || !url.file_id) throw new Error('Slack gave no upload URL');
  const posted = await fetch(url.upload_url, { method: 'POST', headers: { 'content-type': 'image/png' }, body: upload.png, signal: AbortSignal.timeout(30_000) });
  if (!posted.ok) throw Object.assign(new Error(`upload of ${upload.filename} answered HTTP ${posted.status}`), { code: 'slack_webapi_http_error', statusCode: posted.status });
  await client.files.completeUploadExternal({
    files: [{ id: url.file_id, title: upload.title }],
    ...(upload.channel ? { channel_id: upload.channel } : {}),
    ...(upload.threadTs ? { thread_ts: upload.threadTs } : {}),
  } as Parameters<WebClient['files']['completeUploadExternal']>[0]);
  return url.file_id;
}
