import type { Metadata } from "next";
import { AdminOnly } from "@/components/auth/admin-only";
import { parseId } from "@/components/ui/parse-id";
import { UserDetail } from "@/components/users/user-detail";

export const metadata: Metadata = { title: "User" };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <AdminOnly>
      <UserDetail id={parseId(id)} />
    </AdminOnly>
  );
}
