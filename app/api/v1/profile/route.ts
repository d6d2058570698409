import { profile as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { updateProfile } from "@/lib/users/update-profile";

export const PATCH = withApi(ops.updateProfile, ({ ctx, body }) => updateProfile({ ctx, input: body }));
