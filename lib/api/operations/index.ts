// Importing this module registers every operation (for the OpenAPI document and the
// route-coverage test).
export * as session from "./session";
export * as users from "./users";
export * as profile from "./profile";
export * as groups from "./groups";
export * as zones from "./zones";
export * as vdcs from "./vdcs";
export * as audit from "./audit";
export * as datastores from "./datastores";
export * as images from "./images";
export * as jobs from "./jobs";
export * as uploads from "./uploads";
export * as marketplaces from "./marketplaces";
export * as apps from "./apps";
export * as templates from "./templates";
export * as quotas from "./quotas";
