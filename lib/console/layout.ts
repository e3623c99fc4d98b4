import { type Html, html } from "./html.ts";
import { ROLE_NAMES } from "./roles.ts";
import type { Session } from "./session.ts";

/** One page's parts: its title (also the h1's text unless the body has its own), the session, and the main content. */
export interface PageParts {
  title: string;
  session: Session;
  main: Html;
  /** Where the back link goes, when the page has one. */
  back?: { href: string; text: string };
}

/** The whole document: GOV.UK Frontend's page template and service navigation, without script or crown, and the sign-out button. */
export function layout(parts: PageParts): string {
  return html`<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head>
<meta charset="utf-8">
<title>${parts.title} – ASYE survey console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/govuk-frontend.min.css">
<link rel="stylesheet" href="/assets/console.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-service-navigation" data-module="govuk-service-navigation">
<div class="govuk-width-container">
<div class="govuk-service-navigation__container console-navigation">
<span class="govuk-service-navigation__service-name"><a href="/cycles" class="govuk-service-navigation__link">ASYE survey console</a></span>
${signedInAs(parts.session)}
</div>
</div>
</header>
<div class="govuk-width-container">
${parts.back ? html`<a href="${parts.back.href}" class="govuk-back-link">${parts.back.text}</a>` : ""}
<main class="govuk-main-wrapper" id="main-content">
${parts.main}
</main>
</div>
</body>
</html>
`.text;
}

function signedInAs(session: Session): Html {
  if (session.role === undefined) return html``;
  return html`<form method="post" action="/sign-out" class="console-sign-out">
<input type="hidden" name="csrf" value="${session.csrf}">
<span class="console-role">Signed in as ${ROLE_NAMES[session.role]}</span>
<button type="submit" class="govuk-button govuk-button--secondary console-sign-out__button">Sign out</button>
</form>`;
}
