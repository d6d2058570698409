"use client";

import { useState } from "react";
import Link from "next/link";
import {
  ActionIcon,
  Anchor,
  Button,
  EmptyState,
  Fieldset,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
} from "@mantine/core";
import { IconDatabaseOff, IconPlus, IconTrash } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import { useAllDatastores } from "@/components/datastores/queries";
import { useMarketplaces } from "@/components/markets/queries";
import { confirmDelete } from "@/components/ui/confirm-delete";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { useZoneOptions } from "@/components/zones/queries";
import type { VdcDto, VdcResourceDto, VdcResourceInput } from "./api";
import { useUpdateVdc } from "./queries";
import { covers, RESOURCE_WORDS, resourceKey, resourceLabel, withoutResource, withResource } from "./vdc-resources";

type ResourceType = VdcResourceInput["resourceType"];

/** What a VDC grants its groups, per zone; admins add and remove resources here. */
export function VdcResourcesTab({ vdc, canEdit }: { vdc: VdcDto; canEdit: boolean }) {
  const update = useUpdateVdc();
  const save = (resources: VdcResourceInput[], message: string) =>
    update.mutate(
      { id: vdc.id, patch: { resources } },
      { onSuccess: () => notifySuccess(message), onError: (err) => notifyError(err) },
    );
  const remove = (r: VdcResourceDto) => {
    const what = r.resourceId === null ? `${resourceLabel(r).toLowerCase()} of zone ${r.zoneName}` : resourceLabel(r);
    confirmDelete({
      title: `Remove ${what} from ${vdc.name}?`,
      message: `Members of the VDC's groups no longer use ${what} through ${vdc.name}. What they imported stays.`,
      confirmLabel: "Remove",
      onConfirm: () => save(withoutResource(vdc.resources, r), `Removed ${what} from ${vdc.name}`),
    });
  };

  return (
    <Stack gap="md" maw={760}>
      <Text size="sm" c="dimmed">
        Members of the VDC&apos;s groups may use (read, import into, publish into) these datastores and marketplaces and
        the apps of these marketplaces, without any change to their permissions.
      </Text>
      {canEdit ? (
        <AddResource
          vdc={vdc}
          pending={update.isPending}
          onAdd={(r, label) => save(withResource(vdc.resources, r), `Added ${label} to ${vdc.name}`)}
        />
      ) : null}
      {vdc.resources.length === 0 ? (
        <EmptyState
          icon={<IconDatabaseOff size={32} />}
          title="No resources yet"
          description={
            canEdit
              ? "Add a datastore or marketplace of a zone above: the members of this VDC's groups may then use it."
              : "This VDC grants no datastore or marketplace yet; an administrator adds them."
          }
        />
      ) : (
        <Table withTableBorder aria-label="Resources">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Zone</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Name</Table.Th>
              {canEdit ? <Table.Th w={90} ta="right" aria-label="Actions" /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {vdc.resources.map((r) => (
              <Table.Tr key={resourceKey(r)}>
                <Table.Td>{r.zoneName}</Table.Td>
                <Table.Td>{RESOURCE_WORDS[r.resourceType].one}</Table.Td>
                <Table.Td>
                  <ResourceName resource={r} />
                </Table.Td>
                {canEdit ? (
                  <Table.Td ta="right">
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${resourceLabel(r)} of zone ${r.zoneName}`}
                      disabled={update.isPending}
                      onClick={() => remove(r)}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function ResourceName({ resource: r }: { resource: VdcResourceDto }) {
  const { zone } = useSession();
  if (r.resourceId === null)
    return (
      <Text span fs="italic">
        {RESOURCE_WORDS[r.resourceType].all}
      </Text>
    );
  // datastores are local (another zone's portal shows its own); marketplaces are federated
  const href =
    r.resourceType === "MARKETPLACE"
      ? `/marketplaces/${r.resourceId}`
      : r.zoneId === zone.id
        ? `/datastores/${r.resourceId}`
        : null;
  return href ? (
    <Anchor component={Link} href={href}>
      {resourceLabel(r)}
    </Anchor>
  ) : (
    <>{resourceLabel(r)}</>
  );
}

const ALL = "all";

/** The datastores or marketplaces of a zone as picker choices, "all of the zone" first. */
function useResourceChoices(zoneId: number, zoneName: string, type: ResourceType) {
  const { zone: local } = useSession();
  const datastores = useAllDatastores();
  const markets = useMarketplaces({ page: 1, perPage: 200, sort: "name", order: "asc", zoneId });
  const items =
    type === "DATASTORE"
      ? zoneId === local.id
        ? datastores.map((d) => ({ id: d.id, name: d.name }))
        : []
      : (markets.data?.items ?? []).map((m) => ({ id: m.id, name: m.name }));
  return [
    { value: ALL, label: `${RESOURCE_WORDS[type].all} of zone ${zoneName}`, resourceId: null },
    ...items.map((i) => ({ value: String(i.id), label: i.name, resourceId: i.id })),
  ];
}

/** Pick a zone, a type, then one of that zone's datastores (marketplaces) or all of them. */
function AddResource({
  vdc,
  pending,
  onAdd,
}: {
  vdc: VdcDto;
  pending: boolean;
  onAdd: (r: VdcResourceInput, label: string) => void;
}) {
  const { zone: local } = useSession();
  const zoneOptions = useZoneOptions();
  const [zoneValue, setZoneValue] = useState(String(local.id));
  const [type, setType] = useState<ResourceType>("DATASTORE");
  const [choice, setChoice] = useState<string | null>(null);
  const zoneId = Number(zoneValue);
  const zoneName = zoneOptions.find((z) => z.value === zoneValue)?.label ?? local.name;
  const choices = useResourceChoices(zoneId, zoneName, type);
  const options = choices.map((c) => ({
    value: c.value,
    label: c.label,
    disabled: covers(vdc.resources, { zoneId, resourceType: type, resourceId: c.resourceId }),
  }));
  const chosen = choices.find((c) => c.value === choice);
  const otherZoneDatastores = type === "DATASTORE" && zoneId !== local.id;
  const word = RESOURCE_WORDS[type].one;

  const add = () => {
    if (!chosen) return;
    onAdd({ zoneId, resourceType: type, resourceId: chosen.resourceId }, chosen.label);
    setChoice(null);
  };

  return (
    <Fieldset legend="Add a resource" variant="filled">
      <Stack gap="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label="Zone"
            data={zoneOptions.length ? zoneOptions : [{ value: String(local.id), label: local.name }]}
            value={zoneValue}
            onChange={(v) => {
              if (!v) return;
              setZoneValue(v);
              setChoice(null);
            }}
            allowDeselect={false}
            w={200}
          />
          <SegmentedControl
            aria-label="Resource type"
            value={type}
            onChange={(v) => {
              setType(v as ResourceType);
              setChoice(null);
            }}
            data={[
              { value: "DATASTORE", label: "Datastores" },
              { value: "MARKETPLACE", label: "Marketplaces" },
            ]}
          />
        </Group>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={word}
            placeholder={`Choose a ${word.toLowerCase()} or all of them`}
            description={
              otherZoneDatastores
                ? `This portal lists the datastores of zone ${local.name} only; for zone ${zoneName}, grant all of them`
                : undefined
            }
            data={options}
            value={choice}
            onChange={setChoice}
            searchable
            nothingFoundMessage="Nothing matches"
            w={360}
          />
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={add} disabled={!chosen} loading={pending}>
            Add
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
