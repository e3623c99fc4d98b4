/** The upload slot of a 360 export holding every organisation's responses (`uploads/{cycle}/responses/`). */
export const ALL_ORGANISATIONS_SLOT = "responses";
