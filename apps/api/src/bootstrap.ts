import 'reflect-metadata';
import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { APP_CONFIG, AppConfig } from './config/config.module';
import { compressResponses } from './common/compress-responses';
import { securityHeaders } from './common/security-headers';
import { metricsMiddleware } from './metrics/metrics.middleware';
import { MetricsService } from './metrics/metrics.service';

/** Builds the configured application; main.ts listens, the e2e harness listens on port 0. */
export async function createApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  // Only the configured proxies may name the client (X-Forwarded-For): never a whole private range,
  // or any client on it could pick its own address and escape the per-address login limit.
  app.set('trust proxy', config.TRUST_PROXY);
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.enableCors({ origin: config.CORS_ORIGINS, credentials: true });
  app.use(metricsMiddleware(app.get(MetricsService)));
  app.use(compressResponses());
  app.useBodyParser('json', { limit: '1mb' });
  // The ICD-10 catalogue is imported as CSV (the Ministry's list is a few MB).
  app.useBodyParser('text', { type: 'text/csv', limit: '10mb' });
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.enableShutdownHooks();

  if (!config.API_DOCS) return app;
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cầu Nối API')
      .setDescription('Teleconsultation network: consultations, sessions, minutes, audit')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, cleanupOpenApiDoc(doc), {
    jsonDocumentUrl: 'api/docs-json',
  });
  return app;
}
