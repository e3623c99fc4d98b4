/**
 * The Content Security Policy every console response carries: only this origin's stylesheet,
 * images and forms, no script at all (the pages need none), never framed.
 */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** The CSP, with the identity provider's origin as a form destination when there is one (signing out ends at its logout endpoint). */
function contentSecurityPolicy(providerOrigin?: string): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    `form-action 'self'${providerOrigin ? ` ${providerOrigin}` : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** Headers added to every response: the CSP and the usual hardening; pages are never cached (they carry a CSRF token). */
export function securityHeaders(providerOrigin?: string): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(providerOrigin),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "cross-origin-opener-policy": "same-origin",
  };
}
