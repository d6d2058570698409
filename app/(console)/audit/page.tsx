import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditList } from "@/components/audit/audit-list";
import { AdminOnly } from "@/components/auth/admin-only";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <AdminOnly>
      <Suspense>
        <AuditList />
      </Suspense>
    </AdminOnly>
  );
}
