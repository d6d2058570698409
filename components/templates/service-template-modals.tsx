"use client";

import { ApiError } from "@/components/api/client";
import { invalidParamsOf } from "@/lib/api/readable-issues";
import { serviceTemplateBody } from "@/lib/templates/service-template-body";
import type { CreateServiceTemplateInput, ServiceTemplateDto } from "./api";
import { useCreateServiceTemplate, useUpdateServiceTemplate } from "./queries";
import { ServiceTemplateForm } from "./service-template-form";
import { CreateTemplateButton, EditTemplateButton, ImportTemplateButton, type TemplateKind } from "./template-modals";

const lines = (params: { reason: string }[]) => params.map((p) => p.reason).join("\n");

const SERVICE_TEMPLATE: TemplateKind<ServiceTemplateDto, CreateServiceTemplateInput> = {
  label: "service template",
  basePath: "/service-templates",
  Form: ServiceTemplateForm,
  useCreate: useCreateServiceTemplate,
  useUpdate: () => {
    const update = useUpdateServiceTemplate();
    return {
      mutateAsync: ({ id, input }) => update.mutateAsync({ id, patch: { body: input } }),
      isPending: update.isPending,
    };
  },
  // a OneFlow JSON document, pasted or read from a .json file
  import: {
    hint: "A OneFlow service template document: name, deployment, roles with name, cardinality, vm_template (the id of a VM template of this zone) and parents.",
    withName: false,
    textLabel: "OneFlow JSON",
    accept: ".json,application/json",
    fileLabel: "Choose a .json file",
    // checked with the API's schema first; the document's fields are not form fields: their
    // reasons are listed under the text
    toInput: (json) => {
      let raw: unknown;
      try {
        raw = JSON.parse(json);
      } catch (err) {
        throw new Error(`Not valid JSON: ${(err as Error).message}`);
      }
      const parsed = serviceTemplateBody.safeParse(raw);
      if (!parsed.success) throw new Error(lines(invalidParamsOf(parsed.error.issues)));
      return raw as CreateServiceTemplateInput;
    },
    fieldErrors: (err): Record<string, string> =>
      err instanceof ApiError && err.invalidParams.length ? { text: lines(err.invalidParams) } : {},
  },
};

export const CreateServiceTemplateButton = () => <CreateTemplateButton kind={SERVICE_TEMPLATE} />;

export const EditServiceTemplateButton = (props: { template: ServiceTemplateDto; disabled?: boolean }) => (
  <EditTemplateButton kind={SERVICE_TEMPLATE} {...props} />
);

export const ImportServiceTemplateButton = () => <ImportTemplateButton kind={SERVICE_TEMPLATE} />;
