/**
 * The Content Security Policy every console response carries: only this origin's stylesheet,
 * images and forms, no script at all (the pages need none), never framed.
 */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** The CSP, with other origins forms may post to (the identity provider's logout endpoint, the bucket for an upload). */
function contentSecurityPolicy(formTargets: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    ["form-action 'self'", ...formTargets].join(" "),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/**
 * Headers added to every response: the CSP and the usual hardening; pages are never cached (they
 * carry a CSRF token). `formTargets` are origins a page's forms may post to besides this one (the
 * identity provider's, where signing out ends; the bucket's, for a staged upload).
 */
export function securityHeaders(formTargets: readonly string[] = []): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(formTargets),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "cross-origin-opener-policy": "same-origin",
  };
}
