"use client";

import Link from "next/link";
import { Anchor, Text } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import { useApp } from "@/components/apps/queries";
import { useImage } from "@/components/images/queries";
import { useServiceTemplate, useVmTemplate } from "@/components/templates/queries";

/**
 * A link to an object the API names by id alone (an image's app, an app's image or template:
 * kept when that object goes away, so not a relation the server resolves), by its name: the
 * object is fetched as the viewer may see it. One that is gone or hidden from the viewer is
 * said to be so, not shown as a bare "#5".
 */
function NamedLink({
  kind,
  id,
  href,
  query,
}: {
  kind: string;
  id: number;
  href: string;
  query: Pick<UseQueryResult<{ name: string }>, "data" | "isError">;
}) {
  if (query.data)
    return (
      <Anchor component={Link} href={href}>
        {query.data.name}
      </Anchor>
    );
  if (query.isError)
    return (
      <Text span c="dimmed">
        {kind} #{id} (deleted, or not yours to see)
      </Text>
    );
  return (
    <Text span c="dimmed">
      {kind} #{id}
    </Text>
  );
}

export function AppNameLink({ id }: { id: number }) {
  return <NamedLink kind="App" id={id} href={`/apps/${id}`} query={useApp(id)} />;
}

export function ImageNameLink({ id }: { id: number }) {
  return <NamedLink kind="Image" id={id} href={`/images/${id}`} query={useImage(id)} />;
}

export function VmTemplateNameLink({ id }: { id: number }) {
  return <NamedLink kind="VM template" id={id} href={`/vm-templates/${id}`} query={useVmTemplate(id)} />;
}

export function ServiceTemplateNameLink({ id }: { id: number }) {
  return <NamedLink kind="Service template" id={id} href={`/service-templates/${id}`} query={useServiceTemplate(id)} />;
}
