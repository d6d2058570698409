import { FsDatastoreDriver } from "./fs";
import type { DatastoreDriver } from "./types";

export const DATASTORE_DRIVERS = ["fs"] as const;
export type DatastoreDriverName = (typeof DATASTORE_DRIVERS)[number];

/** The one place that turns a datastore row into its driver; unknown names throw. */
export function datastoreDriverFor(ds: { driver: string; basePath: string }): DatastoreDriver {
  switch (ds.driver) {
    case "fs":
      return new FsDatastoreDriver(ds.basePath);
    default:
      throw new Error(`Unknown datastore driver "${ds.driver}"`);
  }
}
