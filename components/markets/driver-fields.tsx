"use client";

import { MultiSelect, NumberInput, SimpleGrid, Stack, Switch, TextInput } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { PasswordField } from "@/components/ui/password-field";
import {
  ARCHITECTURE_OPTIONS,
  ATTRIBUTE_LABELS as L,
  DEFAULT_ENDPOINTS,
  type MarketFormValues,
} from "./market-drivers";

export type MarketForm = UseFormReturnType<MarketFormValues>;

interface DriverFieldsProps {
  form: MarketForm;
  /** editing: an empty secret keeps the stored one */
  secretSet?: boolean;
  editing?: boolean;
  /** shown but not changeable (a public catalog's attributes, for users who are not administrators) */
  readOnly?: boolean;
}

/** The chosen driver's attributes (OpenNebula's PUBLIC_DIR, BASE_URL, ACCESS_KEY_ID…). */
export function DriverFields({ form, editing, secretSet, readOnly }: DriverFieldsProps) {
  const text = (key: keyof MarketFormValues["config"]) => ({
    label: L[key],
    autoComplete: "off",
    spellCheck: false,
    readOnly,
    ...form.getInputProps(`config.${key}`),
  });
  const { driver } = form.values;

  if (driver === "one" || driver === "linuxcontainers") {
    return (
      <Stack>
        <TextInput
          {...text("endpoint")}
          description={
            driver === "one"
              ? "The OpenNebula public marketplace, or a mirror of it"
              : "A simplestreams server: images.linuxcontainers.org, or a mirror of it"
          }
          placeholder={DEFAULT_ENDPOINTS[driver]}
        />
        {driver === "one" ? (
          <TextInput
            {...text("version")}
            description="The OpenNebula version whose catalog is asked for: the server answers the catalog of that version"
            placeholder="7.4"
          />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MultiSelect
              label={L.architectures}
              description="The images offered for these architectures"
              data={ARCHITECTURE_OPTIONS}
              readOnly={readOnly}
              {...form.getInputProps("config.architectures")}
            />
            <TextInput
              {...text("variant")}
              description="The image variant: default, or cloud for images with cloud-init"
              placeholder="default"
            />
          </SimpleGrid>
        )}
      </Stack>
    );
  }

  if (driver === "http") {
    return (
      <Stack>
        <TextInput
          {...text("publicDir")}
          description="Absolute directory on the server where the apps' files are written"
          placeholder="/var/local/market-http"
        />
        <TextInput
          {...text("baseUrl")}
          description="Optional public URL of that directory; empty: served by this portal at /market/<id>/"
          placeholder="https://market.example.com/apps"
        />
      </Stack>
    );
  }

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput {...text("accessKeyId")} />
        <PasswordField
          label={L.secretAccessKey}
          autoComplete="new-password"
          placeholder={editing && secretSet ? "•••••• (unchanged)" : undefined}
          description={editing ? "Only sent when you type a new one" : undefined}
          {...form.getInputProps("secrets.secretAccessKey")}
        />
        <TextInput {...text("region")} placeholder="us-east-1" />
        <TextInput {...text("bucket")} />
      </SimpleGrid>
      <TextInput
        {...text("endpoint")}
        description="Optional: an S3-compatible service (Ceph RGW, MinIO…); empty: AWS"
        placeholder="https://s3.example.com"
      />
      <Switch
        label={L.forcePathStyle}
        description="Path-style requests, needed by most S3-compatible services (MinIO, Ceph RGW…)"
        {...form.getInputProps("config.forcePathStyle", { type: "checkbox" })}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <NumberInput
          label={L.partSizeMb}
          description="Multipart upload part"
          min={5}
          max={5120}
          allowDecimal={false}
          allowNegative={false}
          {...form.getInputProps("config.partSizeMb")}
        />
        <NumberInput
          label={L.totalMb}
          description="Reported capacity"
          min={1}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator=","
          {...form.getInputProps("config.totalMb")}
        />
        <TextInput {...text("keyPrefix")} description="Object key prefix" />
      </SimpleGrid>
      <Switch
        label={L.downloadRedirect}
        description="App downloads redirect to a short-lived S3 link once the portal has checked the permission: the bytes skip the portal, but clients must reach the endpoint"
        {...form.getInputProps("config.downloadRedirect", { type: "checkbox" })}
      />
    </Stack>
  );
}
