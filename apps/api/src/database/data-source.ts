// Entry point for the typeorm CLI, e.g.
//   npx typeorm migration:run -d apps/api/dist/database/data-source.js
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required to run migrations');

export default new DataSource(dataSourceOptions(url));
