import { SetMetadata } from '@nestjs/common';
import type { StepScope } from './token.service';

export const STEP_SCOPES = 'caunoi:step-scopes';
/**
 * A route an unfinished sign-in may call with its limited token (a full access token works too):
 * `POST /me/password` for a forced password change, the TOTP enrolment routes for a required one.
 */
export const StepRoute = (...scopes: StepScope[]) => SetMetadata(STEP_SCOPES, scopes);
