"use client";

import type { ReactNode } from "react";
import { Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { QuotaPanel } from "@/components/quotas/quota-panel";
import { ChangePasswordForm } from "./change-password-form";
import { ProfileForm } from "./profile-form";
import { TokensPanel } from "./tokens-panel";

export function ProfilePage() {
  const { user } = useSession();
  return (
    <Stack gap="lg" maw={960}>
      <Title order={2}>Profile</Title>
      <Section title="Account">
        <Group gap="xs" mb="sm">
          <Text size="sm">
            Signed in as <b>{user.username}</b> · groups:
          </Text>
          {user.groups.map((g) => (
            <Badge key={g.id} variant={g.id === user.primaryGroup.id ? "filled" : "light"} tt="none">
              {g.name}
            </Badge>
          ))}
        </Group>
        <ProfileForm />
      </Section>
      <Section title="Quotas">
        <QuotaPanel owner={{ kind: "users", id: user.id }} name={user.username} canEdit={user.isAdmin} />
      </Section>
      <Section title="Change password">
        <ChangePasswordForm />
      </Section>
      <Section title="API tokens">
        <TokensPanel />
      </Section>
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}
