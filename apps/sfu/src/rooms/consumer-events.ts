import type { types } from 'mediasoup';
import type { Peer } from './peer';

/** What a consumer's owner is told about it: closed with its producer, score, layers. */
export function tellAboutConsumer(peer: Peer, consumer: types.Consumer): void {
  const { producerId } = consumer;
  consumer.on('producerclose', () => {
    peer.notify('consumerClosed', { consumerId: consumer.id, producerId });
    consumer.close();
  });
  consumer.on('score', (score) => peer.notify('score', { consumerId: consumer.id, score }));
  consumer.on('layerschange', (layers) =>
    peer.notify('consumerLayersChanged', {
      consumerId: consumer.id,
      spatialLayer: layers?.spatialLayer ?? null,
      temporalLayer: layers?.temporalLayer ?? null,
    }),
  );
}
