const EMAIL = /[^\s@<>"'(),;:[\]]+@[^\s@<>"'(),;:[\]]+\.[^\s@<>"'(),;:[\]]+/g;

/**
 * Replaces every email address in a text with `[email]`: for third-party error messages
 * (SES quotes the addresses it refuses) before they reach a log or a stored record.
 *
 * @example redactEmails("Email address is not verified: jo@example.org") // "Email address is not verified: [email]"
 */
export function redactEmails(text: string): string {
  return text.replace(EMAIL, "[email]");
}
