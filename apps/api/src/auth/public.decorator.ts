import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'caunoi:public';
/** Marks a route that needs no bearer token (login, refresh, health, metrics, calendar feeds). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
