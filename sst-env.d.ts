/* Resource links of sst.config.ts, as `sst dev` would generate them. Keep in step with the config. */
import "sst/resource";

declare module "sst/resource" {
  export interface Resource {
    SurveyData: { name: string; type: "sst.aws.Bucket" };
    Ledger: { name: string; type: "sst.aws.Dynamo" };
    ResultsApiToken: { value: string; type: "sst.sst.Secret" };
    RecipientHashKey: { value: string; type: "sst.sst.Secret" };
    Mail: { sender: string; configSet: string; type: "sst.aws.Email" };
  }
}
