import React, { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { Box, H2, H4, Text, Loader } from '@adminjs/design-system';

type Widget = {
  name: string;
  title: string;
  value: string | number;
  caption?: string;
  items?: { label: string; value: string | number }[];
};

const api = new ApiClient();

const Dashboard: React.FC = () => {
  const [widgets, setWidgets] = useState<Widget[] | null>(null);
  useEffect(() => {
    api.getDashboard().then((response) => setWidgets((response.data as { widgets: Widget[] }).widgets));
  }, []);

  return (
    <Box variant="grey">
      <H2>Contacts CRM</H2>
      {!widgets ? (
        <Loader />
      ) : (
        <Box flex flexDirection="row" flexWrap="wrap">
          {widgets.map((w) => (
            <Box key={w.name} variant="white" width={[1, 1 / 2, 1 / 3]} m="md" p="xl" data-widget={w.name}>
              <H4>{w.title}</H4>
              <Text fontSize="h2" fontWeight="bold">
                {w.value}
              </Text>
              {w.caption ? <Text color="grey60">{w.caption}</Text> : null}
              {(w.items ?? []).map((item) => (
                <Text key={item.label}>
                  {item.label}: <strong>{item.value}</strong>
                </Text>
              ))}
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
};

export default Dashboard;
