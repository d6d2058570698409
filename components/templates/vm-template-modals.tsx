"use client";

import { z } from "zod";
import { blank, schemaValidate } from "@/components/ui/schema-validate";
import { createVmTemplateBody } from "@/lib/templates/template-schemas";
import type { CreateVmTemplateInput, VmTemplateDto } from "./api";
import { useCreateVmTemplate, useUpdateVmTemplate } from "./queries";
import { templateFieldErrors } from "./template-errors";
import { CreateTemplateButton, EditTemplateButton, ImportTemplateButton, type TemplateKind } from "./template-modals";
import { VmTemplateForm } from "./vm-template-form";

const VM_TEMPLATE: TemplateKind<VmTemplateDto, CreateVmTemplateInput> = {
  label: "VM template",
  basePath: "/vm-templates",
  Form: VmTemplateForm,
  useCreate: useCreateVmTemplate,
  useUpdate: () => {
    const update = useUpdateVmTemplate();
    return { mutateAsync: ({ id, input }) => update.mutateAsync({ id, patch: input }), isPending: update.isPending };
  },
  // from OpenNebula text: pasted, or read from a .tpl file (`onetemplate show -x` is not text)
  import: {
    hint: "Paste OpenNebula template text or choose a .tpl file. NAME in the text names the template unless you give a name here; disks may name their image by IMAGE (and IMAGE_UNAME) or IMAGE_ID.",
    withName: true,
    textLabel: "Template text",
    accept: ".tpl,.txt,text/plain",
    fileLabel: "Choose a .tpl file",
    validate: schemaValidate(z.object({ name: blank(undefined, createVmTemplateBody.shape.name) })),
    toInput: (template, name) => ({ ...(name ? { name } : {}), template }),
    fieldErrors: (err) => templateFieldErrors(err, true),
  },
};

export const CreateVmTemplateButton = () => <CreateTemplateButton kind={VM_TEMPLATE} />;

export const EditVmTemplateButton = (props: { template: VmTemplateDto; disabled?: boolean }) => (
  <EditTemplateButton kind={VM_TEMPLATE} {...props} />
);

export const ImportVmTemplateButton = () => <ImportTemplateButton kind={VM_TEMPLATE} />;
