import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminOnly } from "@/components/auth/admin-only";
import { UsersList } from "@/components/users/users-list";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return (
    <AdminOnly>
      <Suspense>
        <UsersList />
      </Suspense>
    </AdminOnly>
  );
}
