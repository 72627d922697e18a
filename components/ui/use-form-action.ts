"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import { formErrors, IDLE } from "@/lib/form-state";

/**
 * A form posting its values to a Server Action that answers with a typed state: the state, its
 * field errors, whether it is pending, and the submit handler that sends `payload()`.
 */
export function useFormAction<S extends { status: string }>(
  action: (previous: S, raw: unknown) => Promise<S>,
  payload: () => unknown,
) {
  const [state, dispatch, pending] = useActionState<S, unknown>(
    action as (previous: Awaited<S>, raw: unknown) => Promise<S>,
    IDLE as unknown as Awaited<S>,
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    startTransition(() => dispatch(payload()));
  };
  return { state, errors: formErrors(state), pending, onSubmit };
}
