"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { Anchor, Paper, Skeleton, Text, Title } from "@mantine/core";

// Swagger UI touches `window` on import: browser only.
const Swagger = dynamic(() => import("./swagger"), {
  ssr: false,
  loading: () => <Skeleton h={400} aria-label="Loading" />,
});

export function ApiDocs() {
  return (
    <>
      <Title order={2} mb="xs">
        API docs
      </Title>
      <Text c="dimmed" mb="md">
        REST JSON under /api/v1. Authenticate with your session or an API token from your{" "}
        <Anchor component={Link} href="/profile">
          profile
        </Anchor>{" "}
        (Authorization: Bearer …). Raw document: <Anchor href="/api/v1/openapi.json">openapi.json</Anchor>.
      </Text>
      {/* Swagger UI brings its own light styles; a white card keeps it legible in dark mode. */}
      <Paper withBorder p="xs" bg="white" c="black">
        <Swagger />
      </Paper>
    </>
  );
}
