/**
 * API errors (接口错误): every failure the HTTP API returns is JSON with a stable code and a message in Simplified
 * Chinese and English, e.g. `{ "error": { "code": "FORBIDDEN", "zh": "…", "en": "…" } }`.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface ApiErrorBody {
  error: { code: string; zh: string; en: string; details?: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly details?: unknown,
  ) {
    super(en);
    this.name = 'ApiError';
  }

  body(): ApiErrorBody {
    const error: ApiErrorBody['error'] = { code: this.code, zh: this.zh, en: this.en };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

export const unauthorized = (): ApiError =>
  new ApiError(
    401,
    'UNAUTHORIZED',
    '需要有效的访问令牌（Authorization: Bearer …）',
    'a valid access token is required (Authorization: Bearer …)',
  );

export const forbidden = (zh: string, en: string): ApiError => new ApiError(403, 'FORBIDDEN', zh, en);

export const notFound = (zh: string, en: string): ApiError => new ApiError(404, 'NOT_FOUND', zh, en);

export const badRequest = (zh: string, en: string, details?: unknown): ApiError =>
  new ApiError(400, 'BAD_REQUEST', zh, en, details);
