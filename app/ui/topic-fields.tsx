import { FieldError } from "./field-error";

export interface TopicValues {
  slug: string;
  name: string;
  description: string;
  requiredApprovals: number;
  reverifyIntervalDays: number;
  flagResponseDays?: number;
  reviewTargetDays?: number;
  flagThreshold?: number;
}

/** The fields of a topic, for both the create and the edit form. */
export function TopicFields({ values, errors }: { values?: TopicValues; errors: Record<string, string[]> }) {
  return (
    <>
      <label htmlFor="name">Name</label>
      <input id="name" name="name" defaultValue={values?.name} required />
      <FieldError id="name-error" errors={errors.name} />
      <label htmlFor="slug">Slug (used in addresses)</label>
      <input id="slug" name="slug" defaultValue={values?.slug} required pattern="[a-z0-9]+(-[a-z0-9]+)*" />
      <FieldError id="slug-error" errors={errors.slug} />
      <label htmlFor="description">Description</label>
      <textarea id="description" name="description" defaultValue={values?.description} rows={2} />
      <FieldError id="description-error" errors={errors.description} />
      <label htmlFor="requiredApprovals">Expert approvals a draft needs</label>
      <input id="requiredApprovals" name="requiredApprovals" type="number" min={1} max={10} defaultValue={values?.requiredApprovals ?? 1} />
      <FieldError id="requiredApprovals-error" errors={errors.requiredApprovals} />
      <label htmlFor="reverifyIntervalDays">Re-verify certified answers every (days)</label>
      <input
        id="reverifyIntervalDays"
        name="reverifyIntervalDays"
        type="number"
        min={1}
        max={3650}
        defaultValue={values?.reverifyIntervalDays ?? 180}
      />
      <FieldError id="reverifyIntervalDays-error" errors={errors.reverifyIntervalDays} />
      <label htmlFor="flagResponseDays">Act on readers&apos; flags within (working days)</label>
      <input id="flagResponseDays" name="flagResponseDays" type="number" min={1} max={30} defaultValue={values?.flagResponseDays ?? 2} />
      <FieldError id="flagResponseDays-error" errors={errors.flagResponseDays} />
      <label htmlFor="reviewTargetDays">Review and certify drafts within (working days; later ones go to the knowledge managers)</label>
      <input id="reviewTargetDays" name="reviewTargetDays" type="number" min={1} max={30} defaultValue={values?.reviewTargetDays ?? 2} />
      <FieldError id="reviewTargetDays-error" errors={errors.reviewTargetDays} />
      <label htmlFor="flagThreshold">Send a certified answer to re-verification when this many people flag it</label>
      <input id="flagThreshold" name="flagThreshold" type="number" min={1} max={50} defaultValue={values?.flagThreshold ?? 3} />
      <FieldError id="flagThreshold-error" errors={errors.flagThreshold} />
    </>
  );
}
