/* Resource links of sst.config.ts, as `sst dev` would generate them. Keep in step with the config. */
import "sst/resource";

declare module "sst/resource" {
  export interface Resource {
    SurveyData: { name: string; type: "sst.sst.Linkable" };
    Ledger: { name: string; type: "sst.sst.Linkable" };
    ResultsApiToken: { value: string; type: "sst.sst.Secret" };
    RecipientHashKey: { value: string; type: "sst.sst.Secret" };
    IngestApiToken: { value: string; type: "sst.sst.Secret" };
    OrganisationReports: { url: string; type: "sst.aws.Queue" };
    ConsoleSessionKey: { value: string; type: "sst.sst.Secret" };
    ConsoleSignIn: { userPoolId: string; clientId: string; clientSecret: string; domainUrl: string; consoleUrl: string; type: "sst.sst.Linkable" };
  }
}
