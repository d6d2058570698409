/** Groups that exist from the first start and cannot be deleted or renamed. */
export const ADMINS_GROUP = "admins";
export const USERS_GROUP = "users";
